using System.Reflection;
using System.Reflection.Emit;

namespace ShmIpc.Harness.Tests;

/// <summary>
/// Every type a type's compiled code names: its base type and interfaces, attributes, fields, the signatures and
/// local variables of its methods, and every type, method or field token in their IL (so a type used only inside a
/// method body is found too). Generic arguments, array and by-ref element types are taken apart. Constants are not
/// seen: the compiler copies their values into the IL, so no reference to their declaring type is left.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly OpCode[] OneByteOpCodes = new OpCode[256];
    private static readonly OpCode[] TwoByteOpCodes = new OpCode[256];

    static TypeReferences()
    {
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            ushort value = (ushort)opCode.Value;
            if (value < 0x100)
            {
                OneByteOpCodes[value] = opCode;
            }
            else
            {
                TwoByteOpCodes[value & 0xFF] = opCode;
            }
        }
    }

    /// <summary>Each type <paramref name="type"/> refers to, with where (a member name, or "base type").</summary>
    public static IEnumerable<(Type Referenced, string Where)> Of(Type type)
    {
        var found = new List<(Type, string)>();
        void Add(Type? referenced, string where)
        {
            foreach (Type part in Parts(referenced))
            {
                found.Add((part, where));
            }
        }

        Add(type.BaseType, "base type");
        foreach (Type implemented in type.GetInterfaces())
        {
            Add(implemented, "interface");
        }
        foreach (CustomAttributeData attribute in type.CustomAttributes)
        {
            Add(attribute.AttributeType, "attribute");
        }
        foreach (FieldInfo field in type.GetFields(Declared))
        {
            Add(field.FieldType, $"field {field.Name}");
        }
        foreach (PropertyInfo property in type.GetProperties(Declared))
        {
            Add(property.PropertyType, $"property {property.Name}");
        }
        foreach (EventInfo declaredEvent in type.GetEvents(Declared))
        {
            Add(declaredEvent.EventHandlerType, $"event {declaredEvent.Name}");
        }
        foreach (MethodBase method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            string where = $"method {method.Name}";
            if (method is MethodInfo withResult)
            {
                Add(withResult.ReturnType, where);
            }
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                Add(parameter.ParameterType, where);
            }
            if (method.GetMethodBody() is not MethodBody body)
            {
                continue;
            }
            foreach (LocalVariableInfo local in body.LocalVariables)
            {
                Add(local.LocalType, where);
            }
            foreach (MemberInfo member in MembersIn(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type referenced:
                        Add(referenced, where);
                        break;
                    case FieldInfo field:
                        Add(field.DeclaringType, where);
                        Add(field.FieldType, where);
                        break;
                    case MethodBase called:
                        Add(called.DeclaringType, where);
                        if (called is MethodInfo calledWithResult)
                        {
                            Add(calledWithResult.ReturnType, where);
                        }
                        foreach (Type argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                        {
                            Add(argument, where);
                        }
                        break;
                }
            }
        }
        return found;
    }

    /// <summary>The members named by the type, method and field tokens of one method's IL.</summary>
    private static IEnumerable<MemberInfo> MembersIn(MethodBase method, byte[] il)
    {
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } generic ? generic.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int offset = 0;
        while (offset < il.Length)
        {
            OpCode opCode = il[offset] == 0xFE ? TwoByteOpCodes[il[++offset]] : OneByteOpCodes[il[offset]];
            offset++;
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    offset += 1;
                    break;
                case OperandType.InlineVar:
                    offset += 2;
                    break;
                case OperandType.InlineI or OperandType.InlineBrTarget or OperandType.ShortInlineR or OperandType.InlineString or OperandType.InlineSig:
                    offset += 4;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    offset += 4 + (4 * BitConverter.ToInt32(il, offset));
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, offset);
                    offset += 4;
                    yield return method.Module.ResolveMember(token, typeArguments, methodArguments)!;
                    break;
                default:
                    throw new InvalidOperationException($"{method.DeclaringType}.{method.Name}: IL operand type {opCode.OperandType} at {offset}");
            }
        }
    }

    /// <summary>A type and the types it is built from: generic arguments, array and by-ref elements.</summary>
    private static IEnumerable<Type> Parts(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }
        if (type.HasElementType)
        {
            foreach (Type part in Parts(type.GetElementType()))
            {
                yield return part;
            }
            yield break;
        }
        if (type.IsGenericType)
        {
            foreach (Type part in type.GetGenericArguments().SelectMany(Parts))
            {
                yield return part;
            }
            yield return type.GetGenericTypeDefinition();
            yield break;
        }
        yield return type;
    }
}
